// HeldPlace: a move-only token for one place taken from a counting limit
// (StreamLimiter, QueryGate); destroying it gives the place back through
// Owner::Release(). Only the owner makes them. The owner must outlive it.
#pragma once

namespace ibr::http {

template <class Owner>
class HeldPlace {
 public:
  HeldPlace(HeldPlace&& o) noexcept : owner_(o.owner_) { o.owner_ = nullptr; }
  HeldPlace& operator=(HeldPlace&& o) noexcept {
    if (this != &o) {
      if (owner_ != nullptr) owner_->Release();
      owner_ = o.owner_;
      o.owner_ = nullptr;
    }
    return *this;
  }
  HeldPlace(const HeldPlace&) = delete;
  ~HeldPlace() {
    if (owner_ != nullptr) owner_->Release();
  }

 private:
  friend Owner;
  explicit HeldPlace(Owner* owner) : owner_(owner) {}
  Owner* owner_;
};

}  // namespace ibr::http
