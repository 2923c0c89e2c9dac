/**
 * @file `kiosk identify <image...>`: 1:N identification of each photo against the enrolled
 * gallery of the active model, with the open-set decision (threshold AND margin, else unknown).
 * Tampered templates are skipped and reported on stderr; identification carries on.
 */
import { Command } from 'commander';
import { ImageDecodeError } from '../common/errors';
import { InferenceClient } from '../inference/client';
import { identifyProbe } from '../matching/open-set';
import { findEmployee } from '../store/employees';
import { globalOptions, modelsDirOf } from './context';
import { requireImageFile } from './enroll';
import { printResult } from './output';
import { openCliGallery, openStoreContext, round4 } from './store-context';

export interface IdentifyOutcome {
  readonly image: string;
  readonly employeeId: string | null;
  readonly name: string | null;
  readonly similarity: number | null;
  readonly margin: number | null;
  /** match | below_threshold | ambiguous | empty_gallery | no_face | unreadable. */
  readonly reason: string;
  /** Recognition quality gates the photo missed (the decision is still made, and still open-set). */
  readonly quality: readonly string[];
}

export function buildIdentifyCommand(): Command {
  return new Command('identify')
    .description('identify the face in each photo among the enrolled employees (or "unknown")')
    .argument('<image...>', 'JPEG, PNG or WebP photos')
    .action(async (images: string[], _o: unknown, cmd: Command) => {
      const g = globalOptions(cmd);
      const files = images.map(requireImageFile);
      const ctx = openStoreContext(g);
      let client: InferenceClient | null = null;
      try {
        const { model, policy, gallery } = await openCliGallery(g, ctx);
        client = await InferenceClient.start({ modelsDir: modelsDirOf(g), embedder: model.id });
        const out: IdentifyOutcome[] = [];
        for (let i = 0; i < files.length; i += 1) {
          const image = images[i]!;
          let analysis;
          try {
            // A photo is identified even when it misses a quality gate (a kiosk frame would not be):
            // the open-set threshold still guards the decision, and the missed gates are reported.
            analysis = await client.analyzeFile(files[i]!, { purpose: 'recognize', liveness: false, embedEvenIfPoorQuality: true });
          } catch (e) {
            if (!(e instanceof ImageDecodeError)) throw e;
            out.push({ image, employeeId: null, name: null, similarity: null, margin: null, reason: 'unreadable', quality: [] });
            continue;
          }
          if (!analysis.embedding) {
            out.push({ image, employeeId: null, name: null, similarity: null, margin: null, reason: 'no_face', quality: [...analysis.quality.reasons] });
            continue;
          }
          const id = identifyProbe(gallery, analysis.embedding, policy);
          analysis.embedding.fill(0);
          out.push({
            image,
            employeeId: id.employeeId,
            name: id.employeeId ? (findEmployee(ctx.db, id.employeeId)?.displayName ?? null) : null,
            similarity: id.similarity === null ? null : round4(id.similarity),
            margin: id.margin === null ? null : round4(id.margin),
            reason: id.reason,
            quality: [...analysis.quality.reasons],
          });
        }
        gallery.clear();
        printResult(g, out, () =>
          out
            .map((r) => `${r.image}: ${r.employeeId ? `${r.employeeId} (${r.name})` : 'unknown'}${r.similarity !== null ? `  similarity ${r.similarity} margin ${r.margin}` : ''}${r.reason !== 'match' ? `  [${r.reason}]` : ''}${r.quality.length ? `  (quality: ${r.quality.join(', ')})` : ''}`)
            .join('\n'),
        );
      } finally {
        await client?.close();
        ctx.close();
      }
    });
}
