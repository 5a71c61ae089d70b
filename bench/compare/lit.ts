// Comparison of the bytes bench: the framework alone (lit + @lit/context), built like dist/.
export * from 'lit';
export * from '@lit/context';
