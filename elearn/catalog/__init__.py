"""The course library: Markdown files in, frozen plain data out. No Flask, no database."""

from .load import load_catalog, load_course
from .model import BrokenCourse, Catalog, Course, Heading, Lesson, Problem, Question, Quiz

__all__ = [
    "BrokenCourse",
    "Catalog",
    "Course",
    "Heading",
    "Lesson",
    "Problem",
    "Question",
    "Quiz",
    "load_catalog",
    "load_course",
]
