"""Evaluation of training: the reaction survey after a course (Kirkpatrick level 1)."""
