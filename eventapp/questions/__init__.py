"""Questions of the organiser's own (diet, accessibility, ...), their answers, and the rules for both."""
