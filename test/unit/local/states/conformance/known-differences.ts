/**
 * Cases the local Step Functions still answers differently from AWS, by name: each is listed in the
 * README ("Local Step Functions: differences from AWS"). The suite fails if one of them starts to pass,
 * so the list stays true.
 */
export const KNOWN_DIFFERENCES = new Set<string>([]);
