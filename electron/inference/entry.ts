/**
 * @file Inference process entry (foundation skeleton; the face-engine issue implements it).
 */
export {};
