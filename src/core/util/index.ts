// Small shared tools every zone may use: disposables and events, error messages, object helpers, a load on first use.
export * from './lifecycle';
export * from './errors';
export * from './objects';
export * from './loadOnce';
