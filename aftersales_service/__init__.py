"""Business rules of aftersales_service that need no ORM.

The Odoo models call these functions; pytest tests them directly
(``aftersales_service/tests``).
"""
