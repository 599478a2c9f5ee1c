"""Paper answer sheets: their geometry (layout), drawing them to PDF (drawing), reading
photos and scans of them with OpenCV (reading), and turning what was read into attempts
(records)."""
