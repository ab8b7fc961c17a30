"""`deidstream review`: a privacy officer checks detection on a sample of the site's own reports and signs it off.

Installed with `pip install 'deidstream[review]'`; the worker never imports it. It sits
above `tools` (it scores with `tools.evaluation`) and below the command line.

Module map, in the order of the workflow:
- `sources`: the reports to review, from files or a seeded random sample of a topic;
- `detect`: the worker's own batch step on them, once (engine, config, policy), and
  `fields`: what that step did with each field of a structured message;
- `store`: the review file (SQLite): sample, detections, verdicts, provenance;
- `server`: the local web app (Starlette), with `templates/` and `static/`;
- `figures`: recall and precision with exact intervals, residual PHI, the power line;
- `signoff`: the sign-off report (HTML and JSON, counts only) and the gold export.
"""
