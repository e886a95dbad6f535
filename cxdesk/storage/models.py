"""SQLAlchemy 2 models of the store: plans, their rows, the history of every change, attachments.

The schema is created and changed only by the Alembic migrations in db/; these classes describe
it for the services. Dates are ISO text (``YYYY-MM-DD``), moments ISO date-times in local time.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """The declarative base of the store."""


class Plan(Base):
    """A plan of activities of one body, built from a typical template or imported."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    template_id: Mapped[str] = mapped_column(String(40), default="")
    template_version: Mapped[str] = mapped_column(String(20), default="")
    org: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    approver_position: Mapped[str] = mapped_column(Text, default="")
    approver_name: Mapped[str] = mapped_column(Text, default="")
    approval_date: Mapped[str] = mapped_column(Text, default="")
    answers: Mapped[str] = mapped_column(Text, default="{}")  # JSON: question id → bool
    done_refs: Mapped[str] = mapped_column(Text, default="[]")  # JSON: refs done before approval
    auto_number: Mapped[bool] = mapped_column(default=True)
    numbering: Mapped[str] = mapped_column(String(10), default="dotted")
    source: Mapped[str] = mapped_column(Text, default="")  # how it came: «шаблон», a file name
    columns: Mapped[str] = mapped_column(Text, default="")  # JSON [[key, heading]]; "" = template's
    synced_at: Mapped[str | None] = mapped_column(String(32), nullable=True)  # last exchange
    form: Mapped[str] = mapped_column(Text, default="")  # JSON of the printed form; "" = template's
    signature: Mapped[str] = mapped_column(Text, default="")  # block below the table, by lines
    executor: Mapped[str] = mapped_column(Text, default="")  # «Исп.: …» line
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped by every change
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))

    rows: Mapped[list[Row]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Row.position"
    )


class Row(Base):
    """A block, section or item of a plan, in document order by ``position``."""

    __tablename__ = "rows"
    __table_args__ = (Index("ix_rows_plan_position", "plan_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(10))  # block | section | item
    ref: Mapped[str] = mapped_column(String(60), default="")  # «agency:3.1.4»
    number: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    responsible: Mapped[str] = mapped_column(Text, default="")  # one person per line
    result: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[str] = mapped_column(Text, default="")
    materials: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    basis: Mapped[str] = mapped_column(Text, default="")
    done_date: Mapped[str] = mapped_column(String(10), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped and checked by every save

    plan: Mapped[Plan] = relationship(back_populates="rows")

    __mapper_args__ = {"version_id_col": version}


class History(Base):
    """One change of one field of a row: who, when, old and new value, and a note."""

    __tablename__ = "history"
    __table_args__ = (Index("ix_history_row", "row_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    row_id: Mapped[int | None] = mapped_column(
        ForeignKey("rows.id", ondelete="CASCADE"), nullable=True
    )
    at: Mapped[str] = mapped_column(String(32))
    user: Mapped[str] = mapped_column(Text, default="")
    field: Mapped[str] = mapped_column(String(40))
    old: Mapped[str] = mapped_column(Text, default="")
    new: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class Attachment(Base):
    """A proof document linked to a row; the file itself lives once in the store by sha256."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_row", "row_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("rows.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[str] = mapped_column(String(32))
    removed_at: Mapped[str | None] = mapped_column(String(32), nullable=True)


class BlobFile(Base):
    """An attachment file kept in a shared database: its hash and size (``sha256`` is NULL while
    its chunks are still being written)."""

    __tablename__ = "blob_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    chunks: Mapped[int] = mapped_column(Integer, default=0)
    added_at: Mapped[str] = mapped_column(String(32), default="")


class BlobChunk(Base):
    """One chunk (1 MiB) of a file kept in the database, in order by ``seq``."""

    __tablename__ = "blob_chunks"

    blob_id: Mapped[int] = mapped_column(
        ForeignKey("blob_files.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Person(Base):
    """A person of a shared database: their database role, their name as the plans write it in
    «Ответственный», and the product's role (coordinator, executor, viewer)."""

    __tablename__ = "people"

    login: Mapped[str] = mapped_column(String(63), primary_key=True)
    person: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(20), default="viewer")
