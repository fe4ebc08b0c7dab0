-- ib-recorder central schema, version 3: how `ib-recorder migrate` fills migration_events
-- (comments only; no table or column changes). The step -> row mapping is in
-- recorder/catalog/CATALOG.md and README "Operating".

COMMENT ON TABLE migration_events IS 'Migration steps as recorded by an instance (`ib-recorder migrate`, seed 000/003): prepare -> preparation, handoff -> handoff (started until complete/rollback), validate -> validation, complete -> the open handoff completed (no row of its own), rollback -> rollback (the open handoff failed), switch -> a handoff row with metadata.step = switch. Natural key: (server_instance_id, catalog_generation, local_id).';
COMMENT ON COLUMN migration_events.event_type IS 'preparation, handoff, validation or rollback (`migrate complete` closes the handoff row; `migrate switch` is a handoff row with metadata.step = switch).';
COMMENT ON COLUMN migration_events.validation_results IS 'JSON. preparation: {"ok", "target_checked", "checks": [{"check": "target_url"|"target_env_file", "ok", "problems", ...}]}; validation (and the handoff it validated): the continuity report {"ok", "max_gap", "source", "target", "contracts": [{"contract_id", "ok", "gap_seconds", "overlap_seconds", "mismatched", "problem", ...}]}.';
COMMENT ON COLUMN migration_events.metadata IS 'JSON: {"step": the migrate step that wrote the row, "recorded_by": "ib-recorder <version>"}; switch and rollback add "link": {"link", "from", "to"} (the storage-active symlink).';
