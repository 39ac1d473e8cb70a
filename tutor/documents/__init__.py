"""Documents: a problem-set file turned into a complete answer key (LaTeX or Markdown).

    import tutor
    tutor.answer_key("# title: Week 3\\n3x^3 - 3x + 5\\n1/w^2 ; at w=4\\n", format="markdown")

The parts, each with one job: `problems` reads the file (title, one problem a line, options),
`work` works each problem by its route into a format-free record, `writers` holds the writer
protocol and the shared maths of an answer, `latex` and `markdown` are the two writers,
`figures` asks the plotting package for figures, `key` assembles the document, `progress`
draws a bar on a terminal. The command is `tutor notes FILE` (tutor.commands).
"""
from .key import FORMATS, WRITERS, AnswerKey, answer_key, build_key
from .problems import BadLine, Options, Problem, ProblemSet, read_problem_set

__all__ = ["answer_key", "build_key", "AnswerKey", "WRITERS", "FORMATS", "read_problem_set",
           "ProblemSet", "Problem", "BadLine", "Options"]
