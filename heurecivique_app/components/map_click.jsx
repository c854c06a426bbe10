// Reports taps on the Leaflet map that contains it: [lat, lon] to onPick.
import { useMapEvents } from "react-leaflet";

export default function MapClick({ onPick }) {
  useMapEvents({
    click(event) {
      if (onPick) onPick([event.latlng.lat, event.latlng.lng]);
    },
  });
  return null;
}
