"""Runs one delivery: publish or retract. Filled in below the services (see module doc)."""


def run(delivery_id: int) -> str:
    raise NotImplementedError


def pull(delivery_id: int) -> bool:
    raise NotImplementedError
