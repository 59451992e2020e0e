export const PSS_REF = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';
