"""Request plumbing: security headers and cookies, login, templating, the request log, the page
cache and the site-wide state every request asks about. Each module's init_app is called from
create_app, the one place app-wide hooks are registered."""
