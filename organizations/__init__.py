"""The ground layer: the organization tree and the roles people hold in it, the one access rule (`access`), members
and roster import, honours, typical units, leaders and contact points. It imports only Django, third-party
libraries and `machinery`; every other app of 168 stands on it.
"""
