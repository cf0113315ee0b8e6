"""Lesson discussions and course forums: threads, posts, reports, moderation, read marks."""
