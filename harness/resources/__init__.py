"""The pipeline's AWS resources: one module per kind (plan, create, discover, delete), one plan of
a run's names (``plan``), and provisioning that applies the plan on any stack."""
