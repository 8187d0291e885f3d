"""考评: rating periods in the year's windows, self-evaluation, the anonymous poll, the organization's assessment,
grades, publication, awards and rectification. Stands on posts, targets, years, organizations and notifications."""
