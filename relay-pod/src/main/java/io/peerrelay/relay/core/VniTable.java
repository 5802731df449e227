package io.peerrelay.relay.core;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Sessions indexed by VNI for the forwarding path: two plain volatile array reads, no lock, no
 * boxing. The 2^24 VNI space is split into 4096 pages of 4096 slots, created on first use and
 * dropped when empty, so memory follows the live sessions rather than the VNI range. Writers hold
 * the relay's write lock.
 */
final class VniTable {
  private static final int PAGE_BITS = 12;
  private static final int PAGE_SIZE = 1 << PAGE_BITS;
  private static final int PAGE_MASK = PAGE_SIZE - 1;
  private static final int PAGES = 1 << (24 - PAGE_BITS);

  private final AtomicReferenceArray<AtomicReferenceArray<Session>> pages =
      new AtomicReferenceArray<>(PAGES);
  private final int[] pageCounts = new int[PAGES];

  /** The session on {@code vni} (0 ≤ vni < 2^24), or null. */
  Session get(int vni) {
    AtomicReferenceArray<Session> page = pages.get(vni >>> PAGE_BITS);
    return page == null ? null : page.get(vni & PAGE_MASK);
  }

  /** Publishes {@code session} on its VNI; the slot must be free. */
  void put(Session session) {
    int vni = session.vni();
    int p = vni >>> PAGE_BITS;
    AtomicReferenceArray<Session> page = pages.get(p);
    if (page == null) {
      page = new AtomicReferenceArray<>(PAGE_SIZE);
      pages.set(p, page);
    }
    if (page.get(vni & PAGE_MASK) == null) {
      pageCounts[p]++;
    }
    page.set(vni & PAGE_MASK, session);
  }

  /** Unpublishes the session on {@code vni}. */
  void remove(int vni) {
    int p = vni >>> PAGE_BITS;
    AtomicReferenceArray<Session> page = pages.get(p);
    if (page == null || page.get(vni & PAGE_MASK) == null) {
      return;
    }
    page.set(vni & PAGE_MASK, null);
    if (--pageCounts[p] == 0) {
      pages.set(p, null);
    }
  }

  /** Number of pages currently allocated (memory checks in tests). */
  int pageCount() {
    int n = 0;
    for (int i = 0; i < PAGES; i++) {
      if (pages.get(i) != null) {
        n++;
      }
    }
    return n;
  }
}
