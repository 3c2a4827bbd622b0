"""Repository layers, stacked into :class:`storage.repository.Store`.

Each module adds one area (audit, requisitions, panels, scorecards, decisions,
deliveries) on top of the previous one, so later areas can reuse earlier lookups
(a decision checks requisition membership, a submission appends audit events)
while every module stays small. Areas that need nothing from the others (deliveries,
timers, people and conversation references) sit beside that stack and are mixed
into ``Store`` alongside it.
"""
