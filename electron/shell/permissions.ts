/**
 * @file Which browser permissions the kiosk grants: the camera, to the app's own main frame,
 * and nothing else.
 *
 * Electron grants every permission when no handler is installed (security checklist item 5),
 * and the request handler alone does not cover synchronous checks such as
 * `enumerateDevices()` labels — so `electron/main` installs both handlers, each calling the
 * decision functions here.
 */
import type { Origin } from './app-origin';
import { isAppUrl, parseOrigin, sameOrigin } from './app-origin';

/** What Electron passes to `setPermissionRequestHandler`, reduced to what the decision needs. */
export interface PermissionRequestInput {
  readonly permission: string;
  /** `details.requestingUrl`: the last URL the requesting frame loaded. */
  readonly requestingUrl: string | undefined;
  readonly isMainFrame: boolean | undefined;
  /** `details.mediaTypes` for `media` requests: `video` is the camera, `audio` the microphone. */
  readonly mediaTypes?: readonly string[] | undefined;
}

/** What Electron passes to `setPermissionCheckHandler`. */
export interface PermissionCheckInput {
  readonly permission: string;
  readonly requestingOrigin: string | undefined;
  readonly isMainFrame: boolean | undefined;
  /** `details.mediaType`: `video`, `audio` or `unknown`. */
  readonly mediaType?: string | undefined;
  /** `details.securityOrigin` when Electron knows it; must agree with requestingOrigin. */
  readonly securityOrigin?: string | undefined;
}

export interface PermissionDecision {
  readonly grant: boolean;
  /** Why, for the log: a denied permission is worth one line. */
  readonly reason: string;
}

const CAMERA = 'media';

function deny(reason: string): PermissionDecision {
  return { grant: false, reason };
}

/** Grant only `media` with `mediaTypes` ⊂ {video} (non-empty), from the app origin's main frame. */
export function decidePermissionRequest(req: PermissionRequestInput, app: Origin): PermissionDecision {
  if (req.permission !== CAMERA) return deny(`permission "${req.permission}" is never granted`);
  if (req.isMainFrame !== true) return deny('camera requested from a sub-frame');
  if (!isAppUrl(req.requestingUrl, app)) return deny(`camera requested by foreign origin ${req.requestingUrl ?? '(none)'}`);
  const types = req.mediaTypes ?? [];
  if (types.length === 0) return deny('media request without media types');
  const other = types.find((t) => t !== 'video');
  if (other !== undefined) return deny(`media type "${other}" is never granted (camera only)`);
  return { grant: true, reason: 'camera for the kiosk screen' };
}

/** The synchronous check: same rule, expressed over an origin instead of a URL. */
export function decidePermissionCheck(chk: PermissionCheckInput, app: Origin): PermissionDecision {
  if (chk.permission !== CAMERA) return deny(`permission "${chk.permission}" is never granted`);
  if (chk.isMainFrame !== true) return deny('camera check from a sub-frame');
  const o = parseOrigin(chk.requestingOrigin);
  if (!o || !sameOrigin(o, app)) return deny(`camera check by foreign origin ${chk.requestingOrigin ?? '(none)'}`);
  if (chk.securityOrigin !== undefined && chk.securityOrigin !== '') {
    const s = parseOrigin(chk.securityOrigin);
    if (!s || !sameOrigin(s, app)) return deny(`camera check with foreign security origin ${chk.securityOrigin}`);
  }
  if (chk.mediaType !== 'video') return deny(`media type "${chk.mediaType ?? '(none)'}" is never granted (camera only)`);
  return { grant: true, reason: 'camera for the kiosk screen' };
}
