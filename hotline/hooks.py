"""What the hotline registers with stations when Django starts (HotlineConfig.ready)."""


def register():
    pass
