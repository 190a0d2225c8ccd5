"""A .y4m video for Chromium's fake camera: a real ticket QR held up, taken away, held up again."""
import io

from PIL import Image

from app.tickets.images import write_qr_png

WIDTH, HEIGHT = 640, 480


def _frame(image):
    """One 4:2:0 frame: the grey picture as the Y plane, neutral U and V."""
    return b"FRAME\n" + image.tobytes() + bytes([128]) * (WIDTH * HEIGHT // 2)


def write_ticket_video(path, token, *, frames_with_code=15, frames_without=15, fps=10):
    """The code for `frames_with_code` frames, then an empty desk; Chromium loops the file."""
    png = io.BytesIO()
    write_qr_png(token, png, box_size=8)
    code = Image.open(io.BytesIO(png.getvalue())).convert("L")
    with_code = Image.new("L", (WIDTH, HEIGHT), 200)
    with_code.paste(code, ((WIDTH - code.width) // 2, (HEIGHT - code.height) // 2))
    without = Image.new("L", (WIDTH, HEIGHT), 200)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        video.write(_frame(with_code) * frames_with_code)
        video.write(_frame(without) * frames_without)
    return path
