"""Training-data tooling for a PHI NER model: never imported by the worker.

A statistical model learns whatever the training text makes easy. Trained on a
few hundred real notes it memorises the names in them; trained on one template
family it memorises the templates. These modules counter both: `augment` swaps
every gold value of a real or synthetic document for a fresh one of the same
type and shape (so the model has to learn the context around a name), and
`notes` writes clinical notes in many styles with exact gold spans (so the model
sees names, dates and numbers in many contexts, next to clinical words that look
like names but are not PHI).

Module map: `fakers` (Faker instances per locale, created once), `casing`,
`names`, `dates`, `phones`, `places`, `identifiers` (value generators shared by
both), `augment` (deliverable A), `notes` (deliverable B).
"""
