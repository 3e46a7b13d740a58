"""the coordinating office: revocable staff sessions, department hours, dispatch, handlers, internal notes,
co-handling, extensions, supervision notices, channels, monthly reports

Revision ID: 0ff1ce13a001
Revises: fed_federation
Create Date: 2026-11-29 14:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0ff1ce13a001'
down_revision = 'fed_federation'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD/DROP COLUMN (SQLite 3.35+ has both): a batch copy of `user` or `department` would
    # have to drop a table that every question and post refers to.
    op.add_column('user', sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))
    op.add_column('department', sa.Column('hours', sa.String(length=100), server_default='', nullable=False))
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_question_on_sqlite(lambda sql: sql.replace(_DEPT_NOT_NULL, _DEPT_NULL).replace(_PK, _HANDLER + _PK)
                                    .rstrip().removesuffix(")") + _HANDLER_FK + "\n)")
    else:
        op.alter_column('question', 'department_id', existing_type=sa.Integer(), nullable=True)
        op.add_column('question', sa.Column('handler_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_question_handler_id_user', 'question', 'user', ['handler_id'], ['id'])
    op.add_column('question', sa.Column('channel', sa.Enum('web', 'phone', 'letter', 'visit', 'fediverse', name='channel',
                                                         native_enum=False, length=20),
                                        server_default='web', nullable=False))
    op.create_table(
        'question_note',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('text_html', sa.Text(), nullable=False),
        sa.Column('message_key', sa.String(length=60), nullable=True),
        sa.Column('message_params', sa.JSON(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_question_note_author_id_user')),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_question_note_department_id_department')),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_note_question_id_question')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_question_note')),
    )
    op.create_index('ix_question_note_question', 'question_note', ['question_id', 'id'], unique=False)
    op.create_table(
        'monthly_report',
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('generated_at', sa.DateTime(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('month', name=op.f('pk_monthly_report')),
    )
    op.create_table(
        'question_assist',
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=False),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        sa.Column('done_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['added_by_id'], ['user.id'], name=op.f('fk_question_assist_added_by_id_user')),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_question_assist_department_id_department')),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_assist_question_id_question')),
        sa.PrimaryKeyConstraint('question_id', 'department_id', name=op.f('pk_question_assist')),
    )
    op.create_index(op.f('ix_question_assist_department_id'), 'question_assist', ['department_id'], unique=False)
    op.create_table(
        'question_extension',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('status', sa.Enum('pending', 'approved', 'refused', name='extensionstatus', native_enum=False,
                                    length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('due_before', sa.DateTime(), nullable=False),
        sa.Column('due_after', sa.DateTime(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('decision_reason', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_question_extension_decided_by_id_user')),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                                name=op.f('fk_question_extension_department_id_department')),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_extension_question_id_question')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_question_extension_requested_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_question_extension')),
    )
    op.create_index('ix_question_extension_status', 'question_extension', ['status', 'id'], unique=False)
    op.create_index('ix_question_extension_department', 'question_extension', ['department_id', 'status'], unique=False)
    op.create_index(op.f('ix_question_extension_question_id'), 'question_extension', ['question_id'], unique=False)
    op.create_table(
        'question_supervision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                                name=op.f('fk_question_supervision_department_id_department')),
        sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_question_supervision_issued_by_id_user')),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_supervision_question_id_question')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_question_supervision')),
    )
    op.create_index('ix_question_supervision_department', 'question_supervision', ['department_id', 'created_at'],
                    unique=False)
    op.create_index(op.f('ix_question_supervision_question_id'), 'question_supervision', ['question_id'], unique=False)


def downgrade():
    op.drop_table('question_supervision')  # its indexes go with it
    op.drop_table('question_extension')
    op.drop_table('question_assist')
    op.drop_table('monthly_report')
    op.execute('ALTER TABLE question DROP COLUMN channel')
    op.drop_index('ix_question_note_question', table_name='question_note')
    op.drop_table('question_note')
    # Fails while a question waits for dispatch: the older schema has no place for it.
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_question_on_sqlite(lambda sql: sql.replace(_HANDLER, "").replace(_HANDLER_FK, "")
                                    .replace(_DEPT_NULL, _DEPT_NOT_NULL),
                                    drop_column="handler_id")
    else:
        op.drop_constraint('fk_question_handler_id_user', 'question', type_='foreignkey')
        op.drop_column('question', 'handler_id')
        op.alter_column('question', 'department_id', existing_type=sa.Integer(), nullable=False)
    op.execute('ALTER TABLE department DROP COLUMN hours')
    op.execute('ALTER TABLE "user" DROP COLUMN session_epoch')


_DEPT_NOT_NULL, _DEPT_NULL = "department_id INTEGER NOT NULL,", "department_id INTEGER,"
_PK, _HANDLER = "CONSTRAINT pk_question PRIMARY KEY", "handler_id INTEGER, \n\t"
_HANDLER_FK = ", \n\tCONSTRAINT fk_question_handler_id_user FOREIGN KEY(handler_id) REFERENCES user (id)"


def _rebuild_question_on_sqlite(edit, drop_column: str | None = None) -> None:
    """Make `question` again from its own CREATE statement, edited, keeping every row and index.

    Not a batch copy: that fills the new table before dropping the old one, and SQLite would
    count every event and notification of every question as a broken reference at commit.
    Here the rows go back in after the drop, which settles the references they left.
    """
    bind = op.get_bind()
    create = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'question'").scalar()
    indexes = list(bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'question' AND sql IS NOT NULL").scalars())
    columns = [row[1] for row in bind.exec_driver_sql("PRAGMA table_info(question)") if row[1] != drop_column]
    listed = ", ".join(f'"{c}"' for c in columns)
    new_create = edit(create)
    assert new_create != create, "the question table is not as this migration expects"
    # The driver opens its transaction at the first data change, and the pragma lasts one transaction.
    op.execute("UPDATE alembic_version SET version_num = version_num")
    op.execute("PRAGMA defer_foreign_keys = ON")
    op.execute("CREATE TABLE _question_rows AS SELECT * FROM question")
    op.execute("DROP TABLE question")
    op.execute(new_create)
    op.execute(f"INSERT INTO question ({listed}) SELECT {listed} FROM _question_rows")
    op.execute("DROP TABLE _question_rows")
    for sql in indexes:
        op.execute(sql)
