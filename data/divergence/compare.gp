# Renders compare.svg from lu2.csv and lu2_plus_cell.csv (run from this directory: gnuplot compare.gp).
# Same target A = [[0,1],[1,0]], same samples, seed and learning rate: LU (not closed) against LU
# plus the cell term (closed).
set terminal svg size 1000,460 dynamic enhanced font 'sans,13' background '#ffffff'
set output 'compare.svg'
set datafile separator ','
set multiplot layout 1,2 title 'gradient descent towards x -> A x, A = [[0,1],[1,0]] (lr 0.004, 64 samples, seed 1)'
set logscale x
set format x '10^{%L}'
set xlabel 'step + 1'
set grid
set key bottom left
set logscale y
set format y '10^{%L}'
set ylabel 'training loss'
plot 'lu2.csv' using ($1+1):2 skip 1 with lines lw 2 title 'lu2 (not closed)', \
     'lu2_plus_cell.csv' using ($1+1):2 skip 1 with lines lw 2 title 'lu2 + cell (closed)'
set key top left
set format y '%g'
set ylabel 'parameter norm'
plot 'lu2.csv' using ($1+1):3 skip 1 with lines lw 2 title 'lu2 (not closed)', \
     'lu2_plus_cell.csv' using ($1+1):3 skip 1 with lines lw 2 title 'lu2 + cell (closed)'
unset multiplot
