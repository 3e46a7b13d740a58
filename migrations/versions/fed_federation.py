"""federation: each department's key, remote actors and followers, reactions, remote objects,
deliveries, received activities, what was sent, blocked domains (issue 14)

Revision ID: fed_federation
Revises: c1t12e45a001
Create Date: 2026-11-29 13:49:25.346918

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'fed_federation'
down_revision = 'c1t12e45a001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('received_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.String(length=500), nullable=False),
    sa.Column('actor_uri', sa.String(length=500), nullable=False),
    sa.Column('type', sa.String(length=30), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('processed_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_received_activity')),
    sa.UniqueConstraint('activity_id', name=op.f('uq_received_activity_activity_id'))
    )
    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('inbox', sa.String(length=500), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('activity', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'done', 'dead', name='deliverystatus', native_enum=False, length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_delivery_department_id_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery'))
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_host'), ['host'], unique=False)

    op.create_table('federation_actor',
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('public_key_pem', sa.Text(), nullable=False),
    sa.Column('private_key_pem', sa.Text(), nullable=False),
    sa.Column('key_created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_federation_actor_department_id_department')),
    sa.PrimaryKeyConstraint('department_id', name=op.f('pk_federation_actor'))
    )
    op.create_table('blocked_domain',
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_blocked_domain_created_by_id_user')),
    sa.PrimaryKeyConstraint('host', name=op.f('pk_blocked_domain'))
    )
    op.create_table('remote_actor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uri', sa.String(length=500), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('key_id', sa.String(length=500), nullable=False),
    sa.Column('public_key_pem', sa.Text(), nullable=False),
    sa.Column('inbox', sa.String(length=500), nullable=False),
    sa.Column('shared_inbox', sa.String(length=500), nullable=True),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('fetched_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_remote_actor_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remote_actor')),
    sa.UniqueConstraint('uri', name=op.f('uq_remote_actor_uri'))
    )
    with op.batch_alter_table('remote_actor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remote_actor_host'), ['host'], unique=False)
        batch_op.create_index(batch_op.f('ix_remote_actor_key_id'), ['key_id'], unique=False)

    op.create_table('federated_post',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('created_sent_at', sa.DateTime(), nullable=False),
    sa.Column('edit_sent', sa.DateTime(), nullable=True),
    sa.Column('deleted_sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_federated_post_post_id_post')),
    sa.PrimaryKeyConstraint('post_id', name=op.f('pk_federated_post'))
    )
    op.create_table('remote_follower',
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('remote_actor_id', sa.Integer(), nullable=False),
    sa.Column('follow_activity_id', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_remote_follower_department_id_department')),
    sa.ForeignKeyConstraint(['remote_actor_id'], ['remote_actor.id'], name=op.f('fk_remote_follower_remote_actor_id_remote_actor')),
    sa.PrimaryKeyConstraint('department_id', 'remote_actor_id', name=op.f('pk_remote_follower'))
    )
    with op.batch_alter_table('remote_follower', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remote_follower_remote_actor_id'), ['remote_actor_id'], unique=False)

    op.create_table('remote_reaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('remote_actor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('like', 'announce', name='reactionkind', native_enum=False, length=10), nullable=False),
    sa.Column('activity_id', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_remote_reaction_post_id_post')),
    sa.ForeignKeyConstraint(['remote_actor_id'], ['remote_actor.id'], name=op.f('fk_remote_reaction_remote_actor_id_remote_actor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remote_reaction')),
    sa.UniqueConstraint('activity_id', name=op.f('uq_remote_reaction_activity_id')),
    sa.UniqueConstraint('post_id', 'remote_actor_id', 'kind', name='uq_remote_reaction')
    )
    with op.batch_alter_table('remote_reaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remote_reaction_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remote_reaction_remote_actor_id'), ['remote_actor_id'], unique=False)

    op.create_table('federated_event',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['question_event.id'], name=op.f('fk_federated_event_event_id_question_event')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_federated_event'))
    )
    op.create_table('remote_object',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uri', sa.String(length=500), nullable=False),
    sa.Column('remote_actor_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_remote_object_comment_id_comment')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_remote_object_question_id_question')),
    sa.ForeignKeyConstraint(['remote_actor_id'], ['remote_actor.id'], name=op.f('fk_remote_object_remote_actor_id_remote_actor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remote_object')),
    sa.UniqueConstraint('uri', name=op.f('uq_remote_object_uri'))
    )
    with op.batch_alter_table('remote_object', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remote_object_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remote_object_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remote_object_remote_actor_id'), ['remote_actor_id'], unique=False)



def downgrade():
    with op.batch_alter_table('remote_object', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remote_object_remote_actor_id'))
        batch_op.drop_index(batch_op.f('ix_remote_object_question_id'))
        batch_op.drop_index(batch_op.f('ix_remote_object_comment_id'))

    op.drop_table('remote_object')
    op.drop_table('federated_event')
    with op.batch_alter_table('remote_reaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remote_reaction_remote_actor_id'))
        batch_op.drop_index(batch_op.f('ix_remote_reaction_post_id'))

    op.drop_table('remote_reaction')
    with op.batch_alter_table('remote_follower', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remote_follower_remote_actor_id'))

    op.drop_table('remote_follower')
    op.drop_table('federated_post')
    with op.batch_alter_table('remote_actor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remote_actor_key_id'))
        batch_op.drop_index(batch_op.f('ix_remote_actor_host'))

    op.drop_table('remote_actor')
    op.drop_table('blocked_domain')
    op.drop_table('federation_actor')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_host'))
        batch_op.drop_index('ix_delivery_due')

    op.drop_table('delivery')
    op.drop_table('received_activity')
