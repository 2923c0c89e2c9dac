/**
 * @file `kiosk enroll --employee ID --name NAME <image...>`: enrol one person from photos through
 * the same inference process and enrolment service the kiosk uses. Images are read by the inference
 * process and dropped; only sealed templates are stored.
 *
 * Consent: running the command records an accepted consent (recorded by "cli", notice version from
 * --notice-version) — the operator attests the person agreed to that notice. --refuse records a
 * refusal instead and stores nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { ImageDecodeError, InvalidInputError } from '../common/errors';
import { createEnrolmentService, type SampleRejection } from '../enrolment/enrolment-service';
import { InferenceClient } from '../inference/client';
import { globalOptions, modelsDirOf } from './context';
import { CommandFailed, printResult } from './output';
import { openCliGallery, openStoreContext, round4 } from './store-context';

export function requireImageFile(file: string): string {
  if (!fs.existsSync(file)) throw new InvalidInputError(`${file}: no such file`);
  if (!fs.statSync(file).isFile()) throw new InvalidInputError(`${file}: not a file`);
  return path.resolve(file);
}

interface ImageOutcome {
  image: string;
  accepted: boolean;
  reasons: Array<SampleRejection | 'unreadable'>;
}

export function buildEnrollCommand(): Command {
  return new Command('enroll')
    .description('enrol an employee from one or more face photos (photos are never stored)')
    .requiredOption('--employee <id>', 'employee id (letters, digits, . _ -)')
    .requiredOption('--name <name>', 'display name')
    .option('--role <role>', 'employee or manager', 'employee')
    .option('--notice-version <v>', 'version of the biometric notice the person accepted', 'cli-attested')
    .option('--refuse', 'record that the person refused consent; stores nothing')
    .argument('<image...>', 'JPEG, PNG or WebP photos of the person (one face each)')
    .action(async (images: string[], o: { employee: string; name: string; role: string; noticeVersion: string; refuse?: boolean }, cmd: Command) => {
      const g = globalOptions(cmd);
      if (o.role !== 'employee' && o.role !== 'manager') throw new InvalidInputError(`--role must be employee or manager, got "${o.role}"`);
      const files = images.map(requireImageFile);
      const ctx = openStoreContext(g);
      let client: InferenceClient | null = null;
      try {
        const { keys, model, policy, gallery } = await openCliGallery(g, ctx);
        const svc = createEnrolmentService({
          db: ctx.db,
          keys,
          tenantId: ctx.tenantId,
          gallery,
          policy,
          minSamples: 1,
          maxSamples: Math.max(1, Math.min(files.length, 20)),
          requireLiveness: false, // photos: liveness is a camera-time check
        });
        svc.begin(o.employee, o.name, { role: o.role, actor: 'cli' });
        if (o.refuse) {
          svc.recordConsent({ decision: 'refused', noticeVersion: o.noticeVersion, recordedBy: 'cli' });
          printResult(g, { employeeId: o.employee, consent: 'refused', templatesStored: 0 }, () => `${o.employee}: consent refused and recorded; nothing stored`);
          return;
        }
        client = await InferenceClient.start({ modelsDir: modelsDirOf(g), embedder: model.id });
        const analyseAll = async (purpose: 'enrol' | 'recognize'): Promise<ImageOutcome[]> => {
          const outcomes: ImageOutcome[] = [];
          for (let i = 0; i < files.length; i += 1) {
            let analysis;
            try {
              analysis = await client!.analyzeFile(files[i]!, { purpose, liveness: false });
            } catch (e) {
              if (!(e instanceof ImageDecodeError)) throw e;
              outcomes.push({ image: images[i]!, accepted: false, reasons: ['unreadable'] });
              continue;
            }
            const v = svc.addSample(analysis);
            outcomes.push({ image: images[i]!, accepted: v.accepted, reasons: [...v.reasons] });
          }
          return outcomes;
        };
        let outcomes = await analyseAll('enrol');
        let relaxed = false;
        // Photos are not kiosk frames: when none meets the stricter enrolment gates, fall back to the
        // recognition gates (the ones every identification must pass anyway) and say so.
        if (!outcomes.some((x) => x.accepted) && outcomes.some((x) => x.reasons.every((r) => r !== 'unreadable' && r !== 'no_face' && r !== 'no_embedding'))) {
          outcomes = await analyseAll('recognize');
          relaxed = outcomes.some((x) => x.accepted);
        }
        const warnings = outcomes.filter((x) => !x.accepted).map((x) => `${x.image}: not used (${x.reasons.join(', ')})`);
        if (relaxed) warnings.push('no photo met the enrolment quality gates; templates were taken from photos that pass the recognition gates — re-enrol at the kiosk for best accuracy');
        if (!outcomes.some((x) => x.accepted)) {
          svc.cancel();
          printResult(g, { employeeId: o.employee, templatesStored: 0, images: outcomes, warnings, duplicateOf: null }, () => [...warnings, `${o.employee}: no usable face; nothing stored`].join('\n'));
          throw new CommandFailed();
        }
        svc.recordConsent({ decision: 'accepted', noticeVersion: o.noticeVersion, recordedBy: 'cli' });
        const r = await svc.commit();
        const duplicateOf = r.duplicateOf ? { employeeId: r.duplicateOf.employeeId, similarity: round4(r.duplicateOf.similarity) } : null;
        if (duplicateOf) warnings.push(`possible duplicate: this face already matches employee ${duplicateOf.employeeId} (similarity ${duplicateOf.similarity})`);
        const value = { employeeId: r.employeeId, name: o.name.trim(), modelId: model.id, templatesStored: r.templatesStored, templatesReplaced: r.templatesReplaced, created: r.created, qualityGates: relaxed ? 'recognize' : 'enrol', duplicateOf, images: outcomes, warnings };
        printResult(g, value, () => [`${r.employeeId}: ${r.templatesStored} templates stored${r.templatesReplaced ? ` (replaced ${r.templatesReplaced})` : ''}`, ...warnings.map((w) => `warning: ${w}`)].join('\n'));
      } finally {
        await client?.close();
        ctx.close();
      }
    });
}
