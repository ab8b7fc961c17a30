"""`deidstream bench`: throughput of deidstream against what the model alone and Presidio as shipped can do.

One run measures, on the same corpus and the same spaCy model:

- the floor: spaCy `nlp.pipe` with only `tok2vec` and `ner` (`floor`);
- Presidio as shipped: `AnalyzerEngine.analyze` + `AnonymizerEngine.anonymize` per message (`presidio`);
- deidstream's engine on batches, one process (`engine`);
- end to end through the embedded broker, with one and with N worker processes (`end_to_end`);
- optionally, a soak of the engine that reports RSS at its start and end (`soak`).

Each in-process stage runs in a freshly spawned interpreter, so its start-up time
and its memory are its own and not what an earlier stage left behind.
"""
