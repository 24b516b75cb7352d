"""Expense claims: categories, claims with their lines and receipts, approval, reimbursement."""
