"""The baseline: a bare python-socketio server (ASGI, uvicorn, one worker, no deflate).

What the app's live boards are compared with: the transport alone, with no
state, no database and no Reflex. Adapted from ../shared/reference/bench.
Events: join(room) enters a room; publish(msg) emits "update" to msg["room"].
Binds to loopback only.
"""

import sys

import socketio
import uvicorn

sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins="*")


@sio.on("join")
async def join(sid, room):
    await sio.enter_room(sid, room)
    return "ok"


@sio.on("publish")
async def publish(sid, msg):
    await sio.emit("update", msg, room=msg["room"])


app = socketio.ASGIApp(sio)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
                ws_per_message_deflate=False)
