"""The hall on the fediverse (ActivityPub): each department an actor, posts and replies sent to
followers through the job queue, replies and mentions coming back as comments and questions.
See docs/federation.md."""

import click
from flask import Flask


def init_app(app: Flask) -> None:
    from xtq.federation import delivery, inbox, models, outbox  # noqa: F401  (models and tasks register on import)

    @app.cli.group("federation")
    def federation() -> None:
        """ActivityPub: keys and deliveries."""

    @federation.command("rotate-key")
    @click.argument("slug")
    def rotate_key(slug: str) -> None:
        """Give a department a new RSA key (other servers fetch it again when a signature fails)."""
        from xtq import clock
        from xtq.domain import departments
        from xtq.extensions import db
        from xtq.federation import keys

        department = departments.by_slug(slug)
        if department is None:
            raise click.ClickException(f"没有这个部门：{slug}")
        keys.rotate(department, clock.now())
        db.session.commit()
        click.echo(f"{department.name} 的密钥已更换。")
