// Comparison of the bytes and connect benches: the SDK's WebRTC transport alone, built like dist/.
export { OpenAIRealtimeWebRTC } from '@openai/agents-realtime';
