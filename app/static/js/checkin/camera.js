// Reading QR codes from the camera: the browser's own BarcodeDetector where it has one,
// else the vendored jsQR decoder on frames drawn to a canvas. jsQR (257 KB) is loaded only when
// the camera is switched on: the scanner field and the search work without it.
const SCAN_EVERY_MS = 120;
const MAX_WIDTH = 640;

async function nativeDetector() {
  if (!("BarcodeDetector" in window)) return null;
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    if (!formats.includes("qr_code")) return null;
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    return async (video) => (await detector.detect(video))[0]?.rawValue || null;
  } catch (error) {
    return null;
  }
}

let decoderLoading = null;
function loadDecoder(url) {
  if (window.jsQR) return Promise.resolve();
  decoderLoading = decoderLoading || new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = resolve;
    script.onerror = () => {
      decoderLoading = null;
      reject(new Error("decoder not loaded"));
    };
    document.head.append(script);
  });
  return decoderLoading;
}

function jsqrDetector() {
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  return async (video) => {
    const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
    const width = Math.round(video.videoWidth * scale);
    const height = Math.round(video.videoHeight * scale);
    if (!width || !height) return null;
    canvas.width = width;
    canvas.height = height;
    context.drawImage(video, 0, 0, width, height);
    const frame = context.getImageData(0, 0, width, height);
    const code = window.jsQR(frame.data, width, height, { inversionAttempts: "attemptBoth" });
    return code ? code.data : null;
  };
}

export class Camera {
  constructor(video, decoderUrl, onCode) {
    this.video = video;
    this.decoderUrl = decoderUrl;
    this.onCode = onCode;
    this.stream = null;
    this.timer = null;
  }

  get running() {
    return this.stream !== null;
  }

  async start() {
    let detect = await nativeDetector();
    if (!detect) {
      await loadDecoder(this.decoderUrl);
      detect = jsqrDetector();
    }
    this.detect = detect;
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
    this.video.srcObject = this.stream;
    this.video.hidden = false;
    await this.video.play();
    this.loop();
  }

  stop() {
    clearTimeout(this.timer);
    if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.video.hidden = true;
    this.video.srcObject = null;
  }

  async loop() {
    if (!this.stream) return;
    try {
      if (this.video.readyState >= 2) {
        const text = await this.detect(this.video);
        this.onCode(text);
      }
    } catch (error) {
      // One bad frame never stops the scanner.
    }
    this.timer = setTimeout(() => this.loop(), SCAN_EVERY_MS);
  }
}
