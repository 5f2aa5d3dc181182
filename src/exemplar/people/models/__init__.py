from exemplar.people.models.accounts import RoleGrant, User
from exemplar.people.models.directory import DirectoryImport
from exemplar.people.models.org import OrgUnit, Person, Team, TeamMembership

__all__ = ["DirectoryImport", "OrgUnit", "Person", "RoleGrant", "Team", "TeamMembership", "User"]
