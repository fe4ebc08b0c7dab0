#include "schema_installer.h"

#include <libpq-fe.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "pg/dsn.h"
#include "ibr_postgres_schema.h"
#include "pg/pg_connection.h"

namespace ibr::sync {

namespace {

int VersionOf(std::string_view file_name) { return std::atoi(std::string(file_name.substr(0, 4)).c_str()); }

const char* kCreateVersionTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE schema_migrations IS 'Central schema versions applied by ib-sync init-schema (one row per migration file).';
COMMENT ON COLUMN schema_migrations.version IS 'Migration number (the NNNN of schema/postgres/NNNN_*.sql).';
COMMENT ON COLUMN schema_migrations.name IS 'Migration file name.';
COMMENT ON COLUMN schema_migrations.applied_at IS 'When it was applied.';
)sql";

Result<int> DatabaseVersion(pqxx::transaction_base& tx) {
  pqxx::result r = tx.exec("SELECT to_regclass('public.schema_migrations') IS NOT NULL");
  if (!r[0][0].as<bool>()) return 0;
  return tx.exec1("SELECT COALESCE(max(version), 0) FROM public.schema_migrations")[0].as<int>();
}

std::string NewerMessage(int db, int binary) {
  return "the central schema is version " + std::to_string(db) + ", newer than this ib-sync (which knows up to " +
         std::to_string(binary) + "): install an ib-sync that ships migration " + std::to_string(db) +
         " or newer";
}

// A SCRAM-SHA-256 verifier for `password`, computed by libpq on this side.
Result<std::string> ScramVerifier(const std::string& dsn, const std::string& role, const std::string& password) {
  PGconn* c = PQconnectdb(dsn.c_str());
  if (!c || PQstatus(c) != CONNECTION_OK) {
    std::string m = c ? PQerrorMessage(c) : "out of memory";
    if (c) PQfinish(c);
    return Status::Unavailable("connect to " + pg::DescribeDsn(dsn) + ": " + pg::MaskSecrets(m));
  }
  char* v = PQencryptPasswordConn(c, password.c_str(), role.c_str(), "scram-sha-256");
  std::string out = v ? v : "";
  std::string err = v ? "" : PQerrorMessage(c);
  if (v) PQfreemem(v);
  PQfinish(c);
  if (out.empty()) return Status::Internal("could not encrypt the password of " + role + ": " + err);
  return out;
}

}  // namespace

int BinarySchemaVersion() {
  int v = 0;
  for (const auto& f : schema::postgres::Files()) v = std::max(v, VersionOf(f.name));
  return v;
}

Status CheckSchemaVersion(pqxx::transaction_base& tx) {
  auto v = DatabaseVersion(tx);
  if (!v.ok()) return v.status();
  const int binary = BinarySchemaVersion();
  if (*v == 0) {
    return Status::FailedPrecondition("database " + std::string(tx.conn().dbname()) +
                                      " has no ib-recorder central schema: run `ib-sync init-schema --dsn <owner dsn>` "
                                      "as the database owner first");
  }
  if (*v > binary) return Status::FailedPrecondition(NewerMessage(*v, binary));
  if (*v < binary) {
    return Status::FailedPrecondition("the central schema is version " + std::to_string(*v) +
                                      ", this ib-sync needs version " + std::to_string(binary) +
                                      ": run `ib-sync init-schema --dsn <owner dsn>` to upgrade it");
  }
  return Status::Ok();
}

namespace {

Result<InstallReport> InstallOnce(const std::string& owner_dsn, const RolePasswords& passwords, int up_to_version) {
  InstallReport report;
  std::optional<std::string> sync_verifier, reporter_verifier;
  if (passwords.sync_password) {
    auto v = ScramVerifier(owner_dsn, "ib_sync", *passwords.sync_password);
    if (!v.ok()) return v.status();
    sync_verifier = *v;
  }
  if (passwords.reporter_password) {
    auto v = ScramVerifier(owner_dsn, "ib_reporter", *passwords.reporter_password);
    if (!v.ok()) return v.status();
    reporter_verifier = *v;
  }
  auto conn = pg::PgConnect(owner_dsn);
  if (!conn.ok()) return conn.status();
  try {
    pqxx::work tx(**conn);
    tx.exec0("SET LOCAL search_path TO public");
    tx.exec("SELECT pg_advisory_xact_lock(hashtext('ib-sync init-schema'))");
    tx.exec0(kCreateVersionTable);
    auto current = DatabaseVersion(tx);
    if (!current.ok()) return current.status();
    report.from_version = report.to_version = *current;
    const int binary = BinarySchemaVersion();
    if (*current > binary) return Status::FailedPrecondition(NewerMessage(*current, binary));

    // Roles are cluster-wide: another database's init-schema may have made them.
    for (const auto& [role, verifier] :
         {std::pair{std::string("ib_sync"), sync_verifier}, std::pair{std::string("ib_reporter"), reporter_verifier}}) {
      bool exists = !tx.exec_params("SELECT 1 FROM pg_roles WHERE rolname = $1", role).empty();
      if (!exists) {
        try {
          pqxx::subtransaction sub(tx, "create_" + role);
          sub.exec0("CREATE ROLE " + role + " NOLOGIN");
          sub.commit();
          report.notes.push_back("created role " + role + " (NOLOGIN)");
        } catch (const pqxx::insufficient_privilege&) {
          return Status::FailedPrecondition(
                "cannot create role " + role +
                ": the owner role needs CREATEROLE, or a superuser runs `CREATE ROLE ib_sync NOLOGIN; CREATE ROLE "
                "ib_reporter NOLOGIN;` once per cluster");
        } catch (const pqxx::sql_error& e) {
          // Made concurrently by another init-schema (duplicate_object / unique_violation): fine.
          // (libpqxx 6.4 does not always fill sqlstate(), so the message is checked too.)
          const std::string msg = e.what();
          if (e.sqlstate() != "42710" && e.sqlstate() != "23505" && msg.find("already exists") == std::string::npos &&
              msg.find("duplicate key") == std::string::npos) {
            throw;
          }
        }
      }
      if (verifier) {
        // Utility statements take no parameters: the SCRAM verifier (never the password) is quoted.
        tx.exec0("ALTER ROLE " + role + " LOGIN PASSWORD " + tx.quote(*verifier));
        report.notes.push_back("role " + role + " can log in with the password given");
      }
    }
    const std::string db = tx.quote_name(std::string(tx.conn().dbname()));
    tx.exec0("GRANT CONNECT, TEMPORARY ON DATABASE " + db + " TO ib_sync");
    tx.exec0("GRANT CONNECT ON DATABASE " + db + " TO ib_reporter");

    for (const auto& f : schema::postgres::Files()) {
      const int v = VersionOf(f.name);
      if (v <= *current || (up_to_version > 0 && v > up_to_version)) continue;
      try {
        tx.exec0(std::string(f.text));
      } catch (const pqxx::sql_error& e) {
        return Status::Internal("migration " + std::string(f.name) + " failed: " + e.what() +
                                " (nothing was changed: the whole upgrade is one transaction)");
      }
      tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", v, std::string(f.name));
      report.applied.emplace_back(f.name);
      report.to_version = v;
    }
    tx.exec0("GRANT SELECT ON schema_migrations TO ib_sync, ib_reporter");
    tx.commit();
  } catch (...) {
    return pg::PgErrorStatus("init-schema on " + pg::DescribeDsn(owner_dsn));
  }
  return report;
}

}  // namespace

Result<InstallReport> InstallSchema(const std::string& owner_dsn, const RolePasswords& passwords,
                                    int up_to_version) {
  // Roles live in the cluster, and advisory locks only span one database: two init-schema runs
  // on two databases at once can collide on a role's row ("tuple concurrently updated"). The
  // whole transaction rolled back; run it again.
  for (int attempt = 1;; ++attempt) {
    auto r = InstallOnce(owner_dsn, passwords, up_to_version);
    const bool collided = !r.ok() && r.status().message().find("concurrently updated") != std::string::npos;
    if (!collided || attempt == 5) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt + std::rand() % 100));
  }
}

}  // namespace ibr::sync
