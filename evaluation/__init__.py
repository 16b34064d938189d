"""Measures: retrieval on ALQAC, Zalo/Pháp điển and the seed's questions, the knowledge eval (`evaluate`), and
assignments on real plans against complete gold (`evaluate_tasks`)."""
