/**
 * @file FaceIdentifier over the matching module: the tenant's sealed templates for the active
 * embedder, opened into electron/matching's contiguous Gallery, decided by its open-set rule.
 */
import type { Gallery } from '../matching/gallery';
import { loadGallery, type GalleryReport } from '../matching/load-gallery';
import { identifyProbe, type OpenSetPolicy } from '../matching/open-set';
import type { Db } from '../store/database';
import type { KeyProvider } from '../store/key-provider';
import type { FaceIdentifier, IdentifyResult } from './ports';

export interface GalleryIdentifierOptions {
  readonly db: Db;
  readonly keys: KeyProvider;
  readonly tenantId: string;
  readonly modelId: string;
  readonly dim: number;
  readonly policy: OpenSetPolicy;
}

export interface GalleryIdentifier extends FaceIdentifier {
  readonly lastReport: GalleryReport | null;
}

export async function createGalleryIdentifier(opts: GalleryIdentifierOptions): Promise<GalleryIdentifier> {
  let gallery: Gallery | null = null;
  let report: GalleryReport | null = null;
  const load = async () => {
    const r = await loadGallery({ db: opts.db, keys: opts.keys, tenantId: opts.tenantId, modelId: opts.modelId, dim: opts.dim });
    gallery = r.gallery;
    report = r.report;
  };
  await load();
  return {
    get enrolledCount() {
      return gallery?.employeeCount ?? 0;
    },
    get lastReport() {
      return report;
    },
    reload: load,
    identify(embedding: Float32Array, o: { excludeEmployeeId?: string } = {}): IdentifyResult {
      const g = gallery!;
      if (o.excludeEmployeeId !== undefined) {
        // Duplicate check during (re-)enrolment: the best *other* employee.
        const best = g.rankEmployees(embedding, 2).find((r) => r.employeeId !== o.excludeEmployeeId);
        if (!best) return { employeeId: null, similarity: 0, margin: 0, accepted: false };
        return { employeeId: best.employeeId, similarity: best.similarity, margin: 0, accepted: best.similarity >= opts.policy.threshold };
      }
      const id = identifyProbe(g, embedding, opts.policy);
      return {
        employeeId: id.employeeId ?? id.candidateId,
        similarity: id.similarity ?? 0,
        margin: id.margin ?? 0,
        accepted: id.reason === 'match',
      };
    },
  };
}
