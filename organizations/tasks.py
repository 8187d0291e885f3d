from celery import shared_task


@shared_task(name="organizations.tasks.sweep_audit", acks_late=True)
def sweep_audit() -> int:
    """Delete audit events older than AUDIT_RETENTION_DAYS (beat runs it daily)."""
    from .services.audit import audit_sweep

    return audit_sweep()
