"""Pre-registration for the first year of primary (1AP): parents sign up, register a child for
next year at a school that takes registrations, the school decides, and the year's opening
makes the accepted children pupils."""
