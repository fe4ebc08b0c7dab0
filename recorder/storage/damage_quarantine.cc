// DamageQuarantine: damaged tick-file bytes kept under quarantine/.
#include "storage/damage_quarantine.h"

#include "storage/layout.h"

namespace ibr::storage {

Result<std::string> QuarantineDamagedBytes(FileSystem& fs, const std::string& root, const std::string& rel,
                                           std::uint64_t offset, std::string_view bytes) {
  const std::string kept = "quarantine/" + rel + ".at-" + std::to_string(offset) + ".damaged";
  const std::string abs = JoinPath(root, kept);
  IBR_RETURN_IF_ERROR(fs.CreateDirs(DirName(abs)));
  Status s = fs.WriteFileAtomic(abs, bytes);
  if (!s.ok()) return s.WithContext("keeping damaged bytes of " + rel + " in " + kept);
  return kept;
}

}  // namespace ibr::storage
