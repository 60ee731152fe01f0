"""The console's routes, one APIRouter per area; ``app.create_app`` includes them all."""

from pipeline.review.routes import admin, appeals, call, export, queue, samples, session, team, verdicts

ROUTERS = [
    session.router,
    queue.router,
    call.router,
    verdicts.router,
    team.router,
    samples.router,
    appeals.router,
    export.router,
    admin.router,
]
