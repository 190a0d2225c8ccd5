"""QR codes and the ticket card as images. Pure functions: data in, bytes to a stream."""
import qrcode
import qrcode.image.svg
from PIL import Image, ImageDraw, ImageFont

# Level M survives a scratched screen or a smudge and keeps a 43-character token at version 4.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M


def _qr(data, box_size=10, border=4):
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, box_size=box_size, border=border)
    code.add_data(data)
    code.make(fit=True)
    return code


def write_qr_png(data, stream, box_size=10):
    _qr(data, box_size=box_size).make_image().save(stream, format="PNG")


def write_qr_svg(data, stream):
    _qr(data).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(stream)


def _font(size):
    return ImageFont.load_default(size=size)


def _wrap(draw, text, font, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def write_ticket_card_png(stream, *, token, full_name, organization, event_title, when, venue, label):
    """A 720-pixel-wide ticket a participant can keep in their gallery and show at the desk."""
    # The built-in font has no en dash.
    when = when.replace("\u2013", "-")
    width, margin = 720, 40
    qr_image = _qr(token, box_size=12).make_image().convert("RGB")
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    title_font, name_font, body_font = _font(28), _font(34), _font(24)
    text_width = width - 2 * margin
    blocks = [
        (label, body_font, "#0f5132"),
        *[(line, title_font, "#111111") for line in _wrap(probe, event_title, title_font, text_width)],
        (when, body_font, "#333333"),
        *[(line, body_font, "#333333") for line in _wrap(probe, venue, body_font, text_width)],
    ]
    person = [
        *[(line, name_font, "#111111") for line in _wrap(probe, full_name, name_font, text_width)],
        *[(line, body_font, "#333333") for line in _wrap(probe, organization, body_font, text_width)],
    ]
    line_height = {id(title_font): 38, id(name_font): 44, id(body_font): 32}
    height = (
        margin * 3 + sum(line_height[id(f)] for _, f, _ in blocks + person) + qr_image.height + 20
    )
    card = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(card)
    y = margin
    for text, font, colour in blocks:
        draw.text((margin, y), text, font=font, fill=colour)
        y += line_height[id(font)]
    y += margin // 2
    card.paste(qr_image, ((width - qr_image.width) // 2, y))
    y += qr_image.height + margin // 2
    for text, font, colour in person:
        draw.text((margin, y), text, font=font, fill=colour)
        y += line_height[id(font)]
    card.save(stream, format="PNG")
