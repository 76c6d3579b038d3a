# Renders lu2.svg from lu2.csv (run from this directory: gnuplot lu2.gp)
set terminal svg size 900,540 dynamic enhanced font 'sans,13' background '#ffffff'
set output 'lu2.svg'
set datafile separator ','
set title 'gradient descent on lu2: lr 0.004, 64 samples, seed 1'
set xlabel 'step + 1'
set logscale x
set format x '10^{%L}'
set ylabel 'training loss (mean squared error)'
set logscale y
set format y '10^{%L}'
set y2label 'parameter norm'
set logscale y2
set ytics nomirror
set y2tics
set grid
set key top center
plot 'lu2.csv' using ($1+1):2 skip 1 with lines lw 2 title 'loss', \
     '' using ($1+1):3 skip 1 axes x1y2 with lines lw 2 title 'parameter norm'
