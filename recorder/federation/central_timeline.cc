// CentralTimeline: one parameterised query over contract_timeline().
#include "federation/central_timeline.h"

#include <pqxx/pqxx>

#include "common/time_text.h"
#include "pg/dsn.h"
#include "pg/pg_connection.h"

namespace ibr::federation {
namespace {

// Times travel as microseconds since the epoch (exact: extract() is numeric).
constexpr const char* kCoverageSql =
    "SELECT t.instance_name, COALESCE(t.host, ''), COALESCE(t.port, 0), COALESCE(t.storage_path, ''), "
    "       t.collection_session_id, "
    "       (extract(epoch FROM cs.session_start) * 1000000)::bigint, "
    "       (extract(epoch FROM t.coverage_start) * 1000000)::bigint, "
    "       (extract(epoch FROM t.coverage_end) * 1000000)::bigint, t.status "
    "  FROM contract_timeline($1::bigint, $2::timestamptz, $3::timestamptz) t "
    "  JOIN collection_sessions cs ON cs.id = t.collection_session_id "
    " ORDER BY t.coverage_start, t.instance_name, t.collection_session_id";

// What each instance's files hold, per hour bucket (all tick types and parts of an hour as one
// span [first tick, last tick]): ticks stored outside their session's span (late, backfilled)
// are found through these. Only files still in the storage root (retention_state NULL): a file
// retention deleted or archived cannot be read from the instance. The hour bound lets the
// (contract, tick type, hour) index help.
constexpr const char* kStoredSql =
    "SELECT si.instance_name, COALESCE(si.host, ''), COALESCE(si.port, 0), COALESCE(si.storage_path, ''), "
    "       (extract(epoch FROM min(tf.start_time)) * 1000000)::bigint, "
    "       (extract(epoch FROM max(tf.end_time)) * 1000000)::bigint "
    "  FROM tick_files tf "
    "  JOIN server_instances si ON si.id = tf.server_instance_id "
    " WHERE tf.contract_id = $1::bigint AND tf.message_count > 0 AND tf.retention_state IS NULL "
    "   AND tf.hour_bucket > $2::timestamptz - interval '1 hour' AND tf.hour_bucket < $3::timestamptz "
    "   AND tf.start_time < $3::timestamptz AND tf.end_time >= $2::timestamptz "
    " GROUP BY si.instance_name, si.host, si.port, si.storage_path, tf.hour_bucket "
    " ORDER BY 5, 1";

constexpr const char* kSchemaHint =
    "is this the central database, with its schema installed (`ib-sync init-schema --dsn <owner>`)?";

// The exception being handled, for a user who reads ticks (not for ib-sync's operator).
Status QueryError(const std::string& what, const std::string& dsn) {
  try {
    throw;
  } catch (const pqxx::insufficient_privilege& e) {
    return Status::FailedPrecondition(what + ": " + pg::MaskSecrets(e.what()) +
                                      " (connect as a role that may read it, e.g. ib_reporter)");
  } catch (const pqxx::undefined_table& e) {
    return Status::FailedPrecondition(what + ": " + pg::MaskSecrets(e.what()) + " (" + kSchemaHint + ")");
  } catch (const pqxx::undefined_function& e) {
    return Status::FailedPrecondition(what + ": " + pg::MaskSecrets(e.what()) + " (" + kSchemaHint + ")");
  } catch (...) {
    Status s = pg::PgErrorStatus(what);
    if (s.code() == StatusCode::kUnavailable) {
      return Status::Unavailable(s.message() + " — check that PostgreSQL at " + pg::DescribeDsn(dsn) +
                                 " is running and reachable, then query again");
    }
    return s;
  }
}

}  // namespace

struct CentralTimeline::Connection {
  std::unique_ptr<pqxx::connection> c;
};

CentralTimeline::CentralTimeline(std::unique_ptr<Connection> c, std::string dsn)
    : conn_(std::move(c)), dsn_(std::move(dsn)) {}

CentralTimeline::~CentralTimeline() = default;

Result<std::unique_ptr<CentralTimeline>> CentralTimeline::Connect(const std::string& dsn) {
  auto conn = pg::PgConnect(dsn);
  if (!conn.ok()) {
    const Status& s = conn.status();
    return Status(s.code() == StatusCode::kUnavailable
                      ? Status::Unavailable("cannot reach the central database: " + s.message() +
                                            " — give it with --dsn (a libpq connection string or URI) or the PG* "
                                            "variables, and check that PostgreSQL is running")
                      : s);
  }
  auto c = std::make_unique<Connection>(Connection{std::move(conn).value()});
  return std::unique_ptr<CentralTimeline>(new CentralTimeline(std::move(c), dsn));
}

Result<std::vector<CoverageRow>> CentralTimeline::Coverage(std::uint32_t contract_id, query::TimeRange range) {
  std::vector<CoverageRow> rows;
  if (range.Empty()) return rows;
  try {
    pqxx::read_transaction tx(*conn_->c);
    pqxx::result r = tx.exec_params(kCoverageSql, static_cast<long long>(contract_id), FormatIsoTimestamp(range.start),
                                    FormatIsoTimestamp(range.end));
    // Both queries start with instance_name, host, port, storage_path.
    auto row_of = [contract_id](const pqxx::row& row) {
      CoverageRow c;
      c.contract_id = contract_id;
      c.instance = {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<int>(), row[3].as<std::string>()};
      return c;
    };
    for (const auto& row : r) {
      CoverageRow c = row_of(row);
      c.session_id = row[4].as<long long>();
      c.session_start = row[5].as<long long>();
      c.coverage = {row[6].as<long long>(), row[7].as<long long>()};
      c.status = row[8].as<std::string>();
      rows.push_back(std::move(c));
    }
    pqxx::result stored = tx.exec_params(kStoredSql, static_cast<long long>(contract_id),
                                         FormatIsoTimestamp(range.start), FormatIsoTimestamp(range.end));
    for (const auto& row : stored) {
      CoverageRow c = row_of(row);
      c.coverage = {row[4].as<long long>(), row[5].as<long long>() + 1};  // end_time is the last tick: inclusive
      c.status = "stored";
      c.stored = true;
      rows.push_back(std::move(c));
    }
  } catch (...) {
    return QueryError("read contract_timeline(" + std::to_string(contract_id) + ", " +
                          FormatIsoTimestamp(range.start) + ", " + FormatIsoTimestamp(range.end) + ")",
                      dsn_);
  }
  return rows;
}

}  // namespace ibr::federation
