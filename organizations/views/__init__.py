"""The pages of the ground layer, one module a subject: the tree and an organization's page, members, roster
import, honours, typical units, leaders and contact points, coverage. Each view asks organizations.access first."""
