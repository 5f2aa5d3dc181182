"""Programme pages in the backoffice: the list, the dashboard with its timeline and phase control, and set-up."""
