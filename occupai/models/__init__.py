from .pages import CallPage, OccupaiIndexPage
from .proposals import Event, Proposal, ProposalSlot
from .spaces import Space

__all__ = ["CallPage", "Event", "OccupaiIndexPage", "Proposal", "ProposalSlot", "Space"]
