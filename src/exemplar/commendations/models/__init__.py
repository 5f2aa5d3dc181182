from exemplar.commendations.models.honour import Honour

__all__ = ["Honour"]
