-- Who was collecting a contract at a moment, and where are its files?
--   psql "$DSN" -v contract_id=711280073 -v at='2025-03-10 14:30+00' -f who_had_contract_at.sql
-- Variables: contract_id (default 711280073), at (default now), tick_type (default bid_ask).
\if :{?contract_id} \else \set contract_id 711280073 \endif
\if :{?at} \else \set at `date -u +'%Y-%m-%d %H:%M:%S+00'` \endif
\if :{?tick_type} \else \set tick_type bid_ask \endif

\echo 'Sessions covering the contract at that time (completed and failed sessions included):'
SELECT instance_name, host, port, storage_path, session_start, session_end, status
  FROM servers_at(:contract_id, :'at');

\echo 'Files holding that moment (path = storage_path/file_path on host):'
SELECT instance_name, host, storage_path || '/' || file_path AS file, start_time, end_time, message_count
  FROM get_files_for_range(:contract_id, :'tick_type', :'at', :'at');
