// Small shared tools every zone may use: disposables and events, error messages, object helpers.
export * from './lifecycle';
export * from './errors';
export * from './objects';
